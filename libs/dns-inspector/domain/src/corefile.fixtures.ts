// Corefiles from the seed documents and the local test environment, as the specs use them.

/** tools/testenv/manifests/20-coredns.yaml (kubeadm's add-on) with ${CLUSTER_DOMAIN} = cluster.local. */
export const KUBEADM_COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
`;

/** 000:4649-4666: the default Corefile of the seed (an older kubeadm). */
export const SEED_DEFAULT_COREFILE = `.:53 {
errors
health {
lameduck 5s
}
ready
kubernetes cluster.local in-addr.arpa ip6.arpa {
pods insecure
fallthrough in-addr.arpa ip6.arpa
ttl 30
}
prometheus :9153
forward . /etc/resolv.conf
cache 30
loop
reload
loadbalance
}
`;

/** 000:4706-4724: forward to 172.16.0.1 and the consul.local stub domain (no `ready`). */
export const SEED_STUB_COREFILE = `.:53 {
errors
health
kubernetes cluster.local in-addr.arpa ip6.arpa {
pods insecure
fallthrough in-addr.arpa ip6.arpa
}
prometheus :9153
forward . 172.16.0.1
cache 30
loop
reload
loadbalance
}
consul.local:53 {
errors
cache 30
forward . 10.150.0.1
}
`;

/** 000:4752-4761: the kube-dns → CoreDNS conversion of stubDomains, still with proxy. */
export const SEED_PROXY_COREFILE = `abc.com:53 {
errors
cache 30
proxy . 1.2.3.4
}
`;

/** 000:4960-4975: the seed's debugging Corefile, with \`log\` and the retired \`upstream\` option. */
export const SEED_LOG_COREFILE = `.:53 {
log
errors
health
kubernetes cluster.local in-addr.arpa ip6.arpa {
pods insecure
upstream
fallthrough in-addr.arpa ip6.arpa
}
prometheus :9153
forward . /etc/resolv.conf
cache 30
loop
reload
loadbalance
}
`;

/** 000:4763-4787: the converted kube-dns ConfigMap, with federation and two stub domains. */
export const SEED_FEDERATION_COREFILE = `.:53 {
errors
health
kubernetes cluster.local in-addr.arpa ip6.arpa {
pods insecure
fallthrough in-addr.arpa ip6.arpa
}
federation cluster.local {
foo foo.feddomain.com
}
prometheus :9153
forward . 8.8.8.8 8.8.4.4
cache 30
}
abc.com:53 {
errors
cache 30
forward . 1.2.3.4
}
my.cluster.local:53 {
errors
cache 30
forward . 2.3.4.5
}
`;
