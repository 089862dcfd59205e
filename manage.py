#!/usr/bin/env python
from qms.cli import main

if __name__ == "__main__":
    main()
