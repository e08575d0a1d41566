from bmt_desktop.cli import main

raise SystemExit(main())
