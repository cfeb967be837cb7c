# UDPServer.py -- a UDP server in the textbook's style: it waits for a
# message on port 12000, and sends back the same text in capital letters
# to whoever sent it. It serves forever (a lesson stops it at the end).
from socket import *

serverPort = 12000
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))
print('The server is ready to receive', flush=True)
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    modifiedMessage = message.decode().upper()
    serverSocket.sendto(modifiedMessage.encode(), clientAddress)
