from integrations.inexchange.emulator import main

main()
