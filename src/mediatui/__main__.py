from mediatui.cli import main

raise SystemExit(main())
