import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadWorkspace, defaultConfig } from '../../server/src/engine';
import { callEdges } from '../../server/src/engine/calls';
import { sharedSuite } from '../support/shared';

/**
 * The calls kube-netlint discovers in two real apps, each edge written down from reading the
 * manifests (not from the engine's output), with the value that makes it. Edges are
 * `Kind ns/workload -> ns/service:port` (`:?` when the value names no port and the program
 * adds its own). A workload defined in several files of the set counts once.
 */
const { dir: GOOD, skip } = sharedSuite('corpus/good');

function edgesOf(set: string): string[] {
  const ws = loadWorkspace([path.join(GOOD, set)], defaultConfig());
  ws.analyze();
  const out = new Set<string>();
  for (const e of callEdges(ws))
    out.add(`${e.from.kind} ${e.from.namespace}/${e.from.name} -> ${e.namespace}/${e.service}:${e.port ?? '?'}`);
  return [...out].sort();
}

describe('discovered calls of real apps', { skip }, () => {
  it('gcp-microservices-demo: every *_ADDR variable, nothing else', () => {
    const want = [
      // cartservice.yaml REDIS_ADDR=redis-cart:6379
      'Deployment default/cartservice -> default/redis-cart:6379',
      // checkoutservice.yaml: PRODUCT_CATALOG_, SHIPPING_, PAYMENT_, EMAIL_, CURRENCY_, CART_SERVICE_ADDR
      'Deployment default/checkoutservice -> default/cartservice:7070',
      'Deployment default/checkoutservice -> default/currencyservice:7000',
      'Deployment default/checkoutservice -> default/emailservice:5000',
      'Deployment default/checkoutservice -> default/paymentservice:50051',
      'Deployment default/checkoutservice -> default/productcatalogservice:3550',
      'Deployment default/checkoutservice -> default/shippingservice:50051',
      // frontend.yaml: eight *_SERVICE_ADDR values; shoppingassistantservice is the optional
      // shopping-assistant component, whose Service is not in these manifests (still a call).
      'Deployment default/frontend -> default/adservice:9555',
      'Deployment default/frontend -> default/cartservice:7070',
      'Deployment default/frontend -> default/checkoutservice:5050',
      'Deployment default/frontend -> default/currencyservice:7000',
      'Deployment default/frontend -> default/productcatalogservice:3550',
      'Deployment default/frontend -> default/recommendationservice:8080',
      'Deployment default/frontend -> default/shippingservice:50051',
      'Deployment default/frontend -> default/shoppingassistantservice:80',
      // loadgenerator.yaml FRONTEND_ADDR=frontend:80 (init container and main container)
      'Deployment default/loadgenerator -> default/frontend:80',
      // recommendationservice.yaml PRODUCT_CATALOG_SERVICE_ADDR
      'Deployment default/recommendationservice -> default/productcatalogservice:3550',
    ];
    // Not found, by design: the PORT variables are each service's own listening port, and
    // DISABLE_PROFILER/ENABLE_PROFILER/USERS/RATE are not addresses.
    assert.deepEqual(edgesOf('gcp-microservices-demo'), want);
  });

  it('sock-shop: the addresses its manifests spell out', () => {
    const want = [
      // autoscaling/heapster-deployment.yaml --sink=influxdb:http://monitoring-influxdb:8086
      'Deployment kube-system/heapster -> kube-system/monitoring-influxdb:8086',
      // autoscaling/grafana-deployment.yaml INFLUXDB_HOST=monitoring-influxdb (no port variable)
      'Deployment kube-system/monitoring-grafana -> kube-system/monitoring-influxdb:?',
      // manifests-loadtest: locust --host http://front-end.sock-shop.svc.cluster.local (http: 80)
      'Deployment loadtest/load-test -> sock-shop/front-end:80',
      // manifests-monitoring/04-prometheus-configmap.yaml (mounted prometheus.yml):
      // alerting target alertmanager:9093 — the alertmanager Service (manifests-alerting) has no
      // metadata.namespace, so the workspace files it under default; kubectl -n decides.
      'Deployment monitoring/prometheus-deployment -> default/alertmanager:9093',
      // …and the static target kube-state-metrics.monitoring.svc.cluster.local:8080
      'Deployment monitoring/prometheus-deployment -> monitoring/kube-state-metrics:8080',
      // complete-demo.yaml ZIPKIN=zipkin.jaeger.svc.cluster.local (the app adds :9411)
      'Deployment sock-shop/shipping -> jaeger/zipkin:?',
      // manifests-jaeger/*-dep.yaml ZIPKIN=http://zipkin.jaeger.svc.cluster.local:9411/api/v1/spans
      'Deployment sock-shop/catalogue -> jaeger/zipkin:9411',
      'Deployment sock-shop/payment -> jaeger/zipkin:9411',
      'Deployment sock-shop/user -> jaeger/zipkin:9411',
      // user: env mongo=user-db:27017 (complete-demo.yaml, manifests/, manifests-jaeger/)
      'Deployment sock-shop/user -> sock-shop/user-db:27017',
      // manifests-monitoring/23-grafana-import-dash-batch.yaml: curl http://admin:admin@grafana/api/…
      'Job monitoring/grafana-import-dashboards -> monitoring/grafana:80',
      // 20-grafana-configmap.yaml prometheus-datasource.json "url": "http://prometheus:9090"
      'Job monitoring/grafana-import-dashboards -> monitoring/prometheus:9090',
    ].sort();
    // Not findable from the manifests: the shop's own calls (front-end -> catalogue, carts,
    // orders, user, payment, session-db; orders -> carts, user, payment, shipping, orders-db;
    // carts -> carts-db; catalogue -> catalogue-db; shipping and queue-master -> rabbitmq) are
    // defaults compiled into the images (Spring application.properties, Go flag defaults), not
    // written in any env, arg or ConfigMap. heapster's --source=kubernetes:https://kubernetes.default
    // and prometheus' kubernetes.default.svc:443 are the API server, not a workload.
    assert.deepEqual(edgesOf('sock-shop'), want);
  });
});
