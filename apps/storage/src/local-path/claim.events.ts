import { randomBytes } from 'node:crypto';
import type { KubeObject, KubePort } from '@bosun/kube';
import { LOCAL_PATH_PROVISIONER } from '@bosun/storage-domain';
import type { ProvisionEvent } from '@bosun/storage-domain';

export interface EventSubject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
}

export type RecordedEvent = Pick<ProvisionEvent, 'type' | 'message'> & { reason: string };

/**
 * core/v1 Events about a claim or volume, as the provisioner library records them, with
 * reportingController `bosun.dev/local-path` (the words are upstream's, see the domain).
 * Cluster-scoped subjects (volumes) get their events in `default`, as kubectl looks for them.
 * Written one at a time, in the order recorded, as client-go's broadcaster does: when claims
 * come in a burst, their events queue behind each other instead of competing with the PVs
 * being created for the same apiserver. `record` resolves once its event is written.
 */
export class EventRecorder {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly port: KubePort, private readonly instance: string) {}

  record(subject: EventSubject, event: RecordedEvent): Promise<void> {
    const at = new Date().toISOString();
    const written = this.tail.then(() => this.write(subject, event, at));
    // One failed write must not stop the ones after it; the caller still sees its own failure.
    this.tail = written.catch(() => undefined);
    return written;
  }

  private async write(subject: EventSubject, event: RecordedEvent, now: string): Promise<void> {
    const namespace = subject.metadata.namespace ?? 'default';
    const name = `${subject.metadata.name ?? 'unknown'}.${randomBytes(8).toString('hex')}`;
    const body: KubeObject = {
      apiVersion: 'v1', kind: 'Event', metadata: { name, namespace },
      involvedObject: {
        apiVersion: subject.apiVersion, kind: subject.kind, name: subject.metadata.name, namespace: subject.metadata.namespace,
        uid: subject.metadata.uid, resourceVersion: subject.metadata.resourceVersion,
      },
      type: event.type, reason: event.reason, message: event.message,
      source: { component: LOCAL_PATH_PROVISIONER },
      // Go's ReportingController travels as `reportingComponent` in core/v1 JSON (an unknown field would be dropped).
      reportingComponent: LOCAL_PATH_PROVISIONER, reportingInstance: this.instance,
      firstTimestamp: now, lastTimestamp: now, count: 1,
    };
    await this.port.create(body);
  }
}
