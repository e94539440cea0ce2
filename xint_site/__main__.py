from xint_site.cli import main

raise SystemExit(main())
