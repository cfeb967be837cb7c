# A TCP server that forks a child for each client: the parent closes its
# copy of the connection socket and goes back to accept; the child closes
# its copy of the welcoming socket, serves the client and exits.
import os, sys
from socket import *

port = int(sys.argv[1]) if len(sys.argv) > 1 else 12000
s = socket(AF_INET, SOCK_STREAM)
s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
s.bind(('', port))
s.listen(5)
while True:
    c, a = s.accept()
    if os.fork() == 0:
        s.close()
        data = c.recv(1024)
        c.send(data.upper())
        c.close()
        os._exit(0)
    c.close()
