// The evidence of a healthy cluster, for the checklist specs.
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { ChecklistEvidence } from './checklist.evidence';
import { KUBEADM_COREFILE } from './corefile.fixtures';
import { lintCorefile } from './corefile.linter';
import { endpoint, pod, port, service, slice } from './kube.fixtures';
import { valueOf } from '@bosun/testing';

// 000:4930-4945: kube-dns 10.0.0.10 with 53/UDP, 53/TCP (and 9153/TCP in kubeadm), endpoints 10.180.3.17.
export const kubeDns = (ports = [port(53, 'dns', 'UDP'), port(53, 'dns-tcp'), port(9153, 'metrics')]): Service =>
  service('kube-dns', { clusterIP: '10.0.0.10', ports, selector: { 'k8s-app': 'kube-dns' } }, 'kube-system');
export const kubeDnsSlices = (ready = true): EndpointSlice[] => [slice('kube-dns', [endpoint('10.180.3.17', { conditions: { ready } })])];
export const coredns = [pod('coredns-7b96bf9f76-5hsxb'), pod('coredns-7b96bf9f76-mvmmt')];

/** A healthy cluster, seen from a pod in `default` (000:4883-4895, 004:2209-2212). */
export const healthy = (): ChecklistEvidence => ({
  namespace: 'default',
  dnsPods: coredns,
  dnsService: kubeDns(),
  dnsEndpointSlices: kubeDnsSlices(),
  kubernetesDefault: { name: 'kubernetes.default', rcode: 'NOERROR', answers: ['10.0.0.1'] },
  kubernetesServiceIP: '10.0.0.1',
  resolvConf: { nameservers: ['10.0.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] },
  corefile: { findings: valueOf(lintCorefile(KUBEADM_COREFILE)) },
});

