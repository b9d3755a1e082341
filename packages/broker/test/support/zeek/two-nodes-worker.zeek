##! Zeek's two-nodes test, worker.zeek: terminate on the manager's finish event.
@load ./two-nodes-common

event Cluster::node_up(name: string, id: string)
	{
	print "node_up", name;
	}

event finish(name: string) &is_used
	{
	terminate();
	}
