import { validateAutoscalerRequest } from './request.validation';
import { valueOf } from '@bosun/testing';
import { nativeHpaManifest } from './native.manifest';

describe('nativeHpaManifest', () => {
  it('writes the same spec as an autoscaling/v2 HorizontalPodAutoscaler (000:13283-13290, 000:13393-13427)', () => {
    const request = valueOf(validateAutoscalerRequest({
      target: { kind: 'Deployment', namespace: 'shop', name: 'php-apache' },
      minReplicas: 1,
      maxReplicas: 10,
      mode: 'native',
      metrics: [
        { name: 'cpu', type: 'Resource', resource: 'cpu', target: { type: 'Utilization', value: 50 } },
        { name: 'memory', type: 'Resource', resource: 'memory', target: { type: 'AverageValue', value: '500Mi' } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }, { type: 'Pods', value: 5, periodSeconds: 60 }], selectPolicy: 'Min' } },
    }));
    expect(nativeHpaManifest(request, 'php-apache', { 'app.kubernetes.io/managed-by': 'bosun' })).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'php-apache', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'bosun' } },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'php-apache' },
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }, { type: 'Pods', value: 5, periodSeconds: 60 }] } },
      },
    });
  });

  it('leaves behavior out when none was given, and minReplicas defaults to 1', () => {
    const request = valueOf(validateAutoscalerRequest({
      target: { kind: 'StatefulSet', namespace: 'db', name: 'pg' }, maxReplicas: 3, mode: 'native',
      metrics: [{ name: 'cpu', type: 'Resource', resource: 'cpu', target: { type: 'Utilization', value: 80 } }],
    }));
    expect(nativeHpaManifest(request, 'pg').spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'pg' }, minReplicas: 1, maxReplicas: 3,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
  });
});
