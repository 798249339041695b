namespace BlazorJobs.Tests.Integration.Api.Support;

/// <summary><c>GET /api/delivery</c>'s body.</summary>
public sealed record DeliveryBody(string Mode, bool KillSwitch);

/// <summary>The silence limit <c>GET /api/delivery</c> gives the client.</summary>
public sealed record DeliverySilenceLimit(int HeartbeatTimeoutMs);
