from integrations.visma.emulator import main

main()
