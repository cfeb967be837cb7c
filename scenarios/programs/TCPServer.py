# TCPServer.py -- a TCP server in the textbook's style: a welcoming socket
# on port 12000; for each client a connection socket of its own, one
# sentence read, the same sentence in capital letters sent back, and the
# connection closed. It serves forever (a lesson stops it at the end).
from socket import *

serverPort = 12000
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', serverPort))
serverSocket.listen(1)
print('The server is ready to receive', flush=True)
while True:
    connectionSocket, addr = serverSocket.accept()
    sentence = connectionSocket.recv(1024).decode()
    capitalizedSentence = sentence.upper()
    connectionSocket.send(capitalizedSentence.encode())
    connectionSocket.close()
