import { toIso, type KubeEvent } from './kube-types';

/** An event reduced to what diagnosis reads, whichever API group it came from. */
export interface EventView {
  kind?: string;
  name?: string;
  reason: string;
  message: string;
  at: string;
}

const view = (e: KubeEvent): EventView => {
  const about = e.involvedObject ?? e.regarding ?? {};
  const at = toIso(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp) ?? '';
  return { kind: about.kind, name: about.name, reason: e.reason ?? '', message: (e.message ?? e.note ?? '').trim(), at };
};

/** Events about one object, newest first (ISO timestamps sort as text). */
export const eventsAbout = (events: KubeEvent[], kind: string, name: string | undefined): EventView[] =>
  name === undefined
    ? []
    : events
        .map(view)
        .filter((e) => e.kind === kind && e.name === name)
        .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));

/** The newest event with this reason whose message starts with `prefix` (when given). */
export const latestEvent = (events: EventView[], reason: string, prefix = ''): EventView | undefined =>
  events.find((e) => e.reason === reason && e.message.startsWith(prefix));
