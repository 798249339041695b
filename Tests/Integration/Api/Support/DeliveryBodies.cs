namespace BlazorJobs.Tests.Integration.Api.Support;

/// <summary><c>GET /api/delivery</c>'s body.</summary>
public sealed record DeliveryBody(string Mode, bool KillSwitch);
