"""`python -m bot.rasa_server run …`: Rasa's own command line, with the launcher's changes installed."""

from bot.rasa_server.launcher import main

main()
