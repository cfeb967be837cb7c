# UDPClient.py -- a UDP client in the textbook's style: it sends one line
# to the server (port 12000) and prints the server's answer.
#   python3 UDPClient.py SERVER [MESSAGE]
import sys
from socket import *

serverName = sys.argv[1] if len(sys.argv) > 1 else 'localhost'
serverPort = 12000
message = sys.argv[2] if len(sys.argv) > 2 else 'hello from the client'
clientSocket = socket(AF_INET, SOCK_DGRAM)
clientSocket.sendto(message.encode(), (serverName, serverPort))
modifiedMessage, serverAddress = clientSocket.recvfrom(2048)
print(modifiedMessage.decode())
clientSocket.close()
