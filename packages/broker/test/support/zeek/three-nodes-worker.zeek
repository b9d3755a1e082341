##! A worker of three-nodes-common.zeek.
@load ./three-nodes-common

global peers_up = 0;

event Cluster::node_up(name: string, id: string)
	{
	print "node_up", name;
	if ( ++peers_up == 2 )
		Cluster::publish(Cluster::manager_topic, ready, Cluster::node);
	}

event ping(name: string)
	{
	print "ping", name;
	Cluster::publish(Cluster::manager_topic, pong, Cluster::node);
	}

event finish(name: string)
	{
	terminate();
	}

event Cluster::node_down(name: string, id: string)
	{
	print "node_down", name;
	# worker-2 goes once worker-1 has gone.
	if ( name == "worker-1" )
		terminate();
	}
