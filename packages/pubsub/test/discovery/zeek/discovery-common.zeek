##! A Zeek node of the discovery tests: prints what discovery raises (flushed at once, so the test can wait for
##! each line), takes part in cluster_started, and warns about any half handshake after 1 s (Zeek's
##! supervisor-runs-zmq-proxy test does the same to surface spurious "Expired …" warnings).
@load frameworks/cluster/backend/zeromq
@load policy/frameworks/cluster/experimental

redef Cluster::Backend::ZeroMQ::hello_expiration = 1 sec;
redef table_expire_interval = 1 sec;

redef exit_only_after_terminate = T;
# No archiver is installed.
redef Log::default_rotation_postprocessor_cmd = "";

event Cluster::node_up(name: string, id: string)
	{
	print "node_up", name, id;
	flush_all();
	}

event Cluster::node_down(name: string, id: string)
	{
	print "node_down", name, id;
	flush_all();
	}

event Cluster::Experimental::cluster_started()
	{
	print "cluster_started";
	flush_all();
	}

event zeek_init() &priority=-10
	{
	print "started", Cluster::node_id();
	flush_all();
	}

# The halves of handshakes still waiting for their other half (main.zeek keeps them module-private): a clean run
# ends with none, so nothing was left to expire however long the node had run on.
module Cluster::Backend::ZeroMQ;

event zeek_done()
	{
	print "pending", |nodeid_subscriptions|, |nodeid_hellos|;
	flush_all();
	}
