from dialsmile.cli import main

main()
