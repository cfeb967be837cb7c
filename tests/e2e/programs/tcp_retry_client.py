# A TCP client started before its server: it tries to connect until the
# server listens (a refused try closes its socket and waits a moment), then
# sends a sentence and prints the answer.
import sys, time
from socket import *

host, port = sys.argv[1], int(sys.argv[2])
for attempt in range(100):
    s = socket(AF_INET, SOCK_STREAM)
    try:
        s.connect((host, port))
        break
    except ConnectionRefusedError:
        s.close()
        time.sleep(0.05)
s.send(b'hello after waiting')
print(s.recv(1024).decode())
s.close()
