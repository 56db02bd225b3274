#!/bin/bash
# conformance.sh [OUTDIR] - Tempest's API tests against fresh monostack
# servers: identity with the default configuration and with the
# security-compliance settings Tempest's defaults expect, image, and the
# compute and network interop lists. Fails
# when a test fails that test/conformance/known-failures.txt does not list.
# Each server is ours: started here, stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${MONOSTACK_BIN:-bin/monostack}
runner=${TEMPEST_RUNNER:-../shared/conformance/run-tempest.sh}
known=test/conformance/known-failures.txt
out=${1:-$(mktemp -d /tmp/monostack-conformance.XXXXXX)}
if [ ! -x "$runner" ]; then
    echo "conformance: Tempest runner $runner not found; tier skipped"
    exit 0
fi
pid=""
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; true' EXIT

# run NAME SERVICES REGEX TEMPEST-ARGS SERVER-ARGS...
run() {
    local name=$1 services=$2 regex=$3 features=$4 state
    shift 4
    state=$(mktemp -d /tmp/monostack-conformance-state.XXXXXX)
    "$bin" up --state-dir "$state" --identity-port 0 --image-port 0 --compute-port 0 --placement-port 0 --network-port 0 \
        --bus-port 0 --log-level warn "$@" >"$state/up.log" 2>&1 &
    pid=$!
    for _ in $(seq 300); do grep -q '^Ready\.$' "$state/up.log" && break; sleep 0.1; done
    grep -q '^Ready\.$' "$state/up.log" || { cat "$state/up.log"; echo "conformance: server did not start"; return 1; }
    local select=(--regex "$regex")
    [ -f "$regex" ] && select=(--include-list "$regex")
    if [[ $services == *network* ]]; then
        (. "$state/openrc" && network_setup "$state/network-tempest.conf") >"$state/setup.log" 2>&1 ||
            { cat "$state/setup.log"; echo "conformance: network setup failed"; return 1; }
        features="$features --conf-extra $state/network-tempest.conf"
    fi
    # shellcheck disable=SC1091
    (. "$state/openrc" && export TEMPEST_IMAGE_REF="$(openstack image show cirros -f value -c id 2>/dev/null)" \
        TEMPEST_FLAVOR_REF=42 TEMPEST_FLAVOR_REF_ALT=84 &&
        "$runner" --services "$services" "${select[@]}" $features --out "$out/$name" >"$out/$name.log" 2>&1)
    kill -TERM "$pid" && wait "$pid" || true
    pid=""
    rm -rf "$state"
    echo "conformance ($name): $(tail -1 "$out/$name.log")"
    local unexpected
    unexpected=$(grep -v '^ ' "$out/$name/failures.txt" 2>/dev/null | grep -v -F -f <(grep -v -e '^#' -e '^$' "$known") || true)
    if [ -n "$unexpected" ]; then
        echo "conformance ($name): unexpected failures (details in $out/$name/failures.txt):"
        echo "$unexpected"
        return 1
    fi
}

# network_setup CONF: an external network for floating IPs and the
# Tempest options naming it and the extensions the service lists.
network_setup() {
    local public
    public=$(openstack network create --external --provider-network-type flat \
        --provider-physical-network public public -f value -c id)
    openstack subnet create --network public --subnet-range 172.24.4.0/24 --no-dhcp public-subnet >/dev/null
    cat >"$1" <<EOF
[network-feature-enabled]
ipv6_subnet_attributes = True
api_extensions = $(openstack extension list --network -f value -c Alias | paste -sd, -)
[network]
public_network_id = $public
floating_network_name = public
EOF
}

mkdir -p "$out"
run identity identity tempest.api.identity ""
run identity-security-compliance identity tempest.api.identity "--identity-feature security_compliance=True" \
    --lockout-failure-attempts 2 --lockout-duration 5s --unique-last-password-count 2
run image identity,image tempest.api.image "--conf-extra test/conformance/image-tempest.conf"
compute_conf="--conf-extra test/conformance/compute-tempest.conf --concurrency 4"
run compute-interop identity,compute,image ../shared/conformance/interop-2020.06-platform-required-compute.include-list \
    "$compute_conf" --fake-hosts 2
run network-interop identity,network ../shared/conformance/interop-2020.06-platform-required-network.include-list ""
# The whole compute API suite takes about 9 minutes here, the network one
# about 15: on demand.
if [ -n "${CONFORMANCE_FULL:-}" ]; then
    run compute identity,compute,image tempest.api.compute "$compute_conf" --fake-hosts 2
    run network identity,network,compute tempest.api.network ""
fi
