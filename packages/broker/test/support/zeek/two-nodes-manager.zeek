##! Zeek's two-nodes test, manager.zeek: when worker-1 is up, publish finish to its node-id topic; terminate when
##! it is gone.
@load ./two-nodes-common

# If a node comes up that isn't us, send it a finish event.
event Cluster::node_up(name: string, id: string)
	{
	print "node_up", name;
	Cluster::publish(Cluster::nodeid_topic(id), finish, Cluster::node);
	}

# If the worker vanishes, finish the test.
event Cluster::node_down(name: string, id: string)
	{
	print "node_down", name;
	terminate();
	}
