# A TCP server that serves each client in a thread of its own: the accept
# loop stays in the main thread. Answers each client's bytes in capitals.
import sys, threading
from socket import *

def serve(conn):
    data = conn.recv(1024)
    conn.send(data.upper())
    conn.close()

port = int(sys.argv[1]) if len(sys.argv) > 1 else 12000
s = socket(AF_INET, SOCK_STREAM)
s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
s.bind(('', port))
s.listen(5)
while True:
    c, a = s.accept()
    threading.Thread(target=serve, args=(c,)).start()
