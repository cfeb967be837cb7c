# TCPClient.py -- a TCP client in the textbook's style: it connects to the
# server (port 12000), sends one sentence, prints the answer and closes.
#   python3 TCPClient.py SERVER [SENTENCE]
import sys
from socket import *

serverName = sys.argv[1] if len(sys.argv) > 1 else 'localhost'
serverPort = 12000
sentence = sys.argv[2] if len(sys.argv) > 2 else 'hello from the client'
clientSocket = socket(AF_INET, SOCK_STREAM)
clientSocket.connect((serverName, serverPort))
clientSocket.send(sentence.encode())
modifiedSentence = clientSocket.recv(1024)
print('From Server:', modifiedSentence.decode())
clientSocket.close()
