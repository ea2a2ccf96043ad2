from integrations.tripletex.emulator import main

main()
