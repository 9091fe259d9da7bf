from crosspost.cli.main import main

raise SystemExit(main())
