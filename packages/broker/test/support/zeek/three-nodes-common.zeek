##! A manager and two workers on zmqc's standalone broker, after Zeek's testing/btest/cluster/zeromq/two-nodes.zeek
##! (v8.2.2) with a second worker:
##! * every node sees node_up for the two others; a worker that has seen both says so to the manager (ready);
##! * with both workers ready, the manager publishes ping to Cluster::worker_topic, and each worker answers with
##!   pong on Cluster::manager_topic;
##! * with both pongs, the manager publishes finish to worker-1's node-id topic; worker-1 terminates;
##! * the manager and worker-2 see node_down for worker-1; worker-2 terminates then, and the manager when it has
##!   seen node_down for worker-2 too.
@load ./zmqc-broker-node

global ready: event(name: string) &is_used;
global ping: event(name: string) &is_used;
global pong: event(name: string) &is_used;
global finish: event(name: string) &is_used;
