##! The manager of three-nodes-common.zeek.
@load ./three-nodes-common

global ids: table[string] of string;
global readies = 0;
global pongs = 0;
global downs = 0;

event Cluster::node_up(name: string, id: string)
	{
	print "node_up", name;
	ids[name] = id;
	}

event ready(name: string)
	{
	print "ready", name;
	if ( ++readies == 2 )
		Cluster::publish(Cluster::worker_topic, ping, Cluster::node);
	}

event pong(name: string)
	{
	print "pong", name;
	if ( ++pongs == 2 )
		Cluster::publish(Cluster::nodeid_topic(ids["worker-1"]), finish, Cluster::node);
	}

event Cluster::node_down(name: string, id: string)
	{
	print "node_down", name;
	if ( ++downs == 2 )
		terminate();
	}
