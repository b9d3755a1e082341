##! cluster-logger.zeek writing JSON lines (LogAscii::use_json), the reference for a zmqc logger with format "json".

@load ./cluster-logger

redef LogAscii::use_json = T;
