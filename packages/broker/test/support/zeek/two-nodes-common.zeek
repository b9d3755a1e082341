##! Zeek's testing/btest/cluster/zeromq/two-nodes.zeek (v8.2.2), common.zeek, with zmqc's broker.
@load ./zmqc-broker-node

global finish: event(name: string);
