// feed-page.js: the feed page being shown, merged by id and kept in the server's order.

/** Sub-millisecond digits, which Date.parse drops but the feed's microsecond order needs. */
function subMillisecondDigits(iso) {
  const match = /\.\d{3}(\d*)/.exec(iso ?? "");
  return (match?.[1] ?? "").padEnd(9, "0");
}

/** Negative when `a` is shown before `b`: (sortDate, id) descending, as the server orders. */
export function compareFeedOrder(a, b) {
  const dateA = Date.parse(a.sortDate);
  const dateB = Date.parse(b.sortDate);
  if (dateA !== dateB && !Number.isNaN(dateA) && !Number.isNaN(dateB)) return dateB - dateA;
  const fracA = subMillisecondDigits(a.sortDate);
  const fracB = subMillisecondDigits(b.sortDate);
  if (fracA !== fracB) return fracA < fracB ? 1 : -1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? 1 : -1;
}

/** The page being shown: merged by id because groups, reconnects and live items overlap. */
export function createFeedPage() {
  const items = new Map();
  let cutoff = null;
  const dropPastCutoff = () => {
    if (!cutoff) return;
    for (const [id, item] of items) if (compareFeedOrder(item, cutoff) > 0) items.delete(id);
  };
  return {
    merge(batch) {
      for (const item of batch ?? []) if (item?.id != null) items.set(item.id, item);
      dropPastCutoff();
    },
    complete(newCutoff) {
      cutoff = newCutoff ?? null;
      dropPastCutoff();
    },
    restart() {
      cutoff = null;
    },
    replace(batch) {
      items.clear();
      cutoff = null;
      this.merge(batch);
    },
    list: () => [...items.values()].sort(compareFeedOrder),
  };
}
