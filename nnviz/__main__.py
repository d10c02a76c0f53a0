from nnviz.launch import main

raise SystemExit(main())
