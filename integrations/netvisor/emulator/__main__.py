from integrations.netvisor.emulator import main

main()
