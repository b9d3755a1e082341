##! Zeek's testing/btest/cluster/zeromq/unsubscribe-two-workers.zeek (v8.2.2), common.zeek, with zmqc's broker.
##! Scenario:
##! * the manager waits for two workers and sends them start_test();
##! * the workers subscribe to /test/worker-1, /test/worker-2 and (both) /test/worker-common;
##! * the manager, seeing all of these, subscribes to /test/manager-common;
##! * the workers, seeing that, unsubscribe from /test/worker-common;
##! * the manager sees the unsubscription of /test/worker-common (only once both have left it: the broker's
##!   XPUB_VERBOSER passes each worker's unsubscription on, its XSUB forwards the last one) and unsubscribes
##!   from /test/manager-common;
##! * the workers terminate on that unsubscription; the manager terminates when both are down.
@load ./zmqc-broker-node

global start_test: event() &is_used;
