"""The commands of `archive`, one module each; cli.py parses and dispatches.

Commands print what they did and problems as `file:line: message`, and
return the exit code; they call the stages and never reach into them.

- build.py, check.py, new.py, import_.py, serve.py: the commands
- preview.py: the editors' live preview server (serve)
- output.py: what every command prints the same way
"""
