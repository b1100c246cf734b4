"""Build and publish: the pipeline as a list of stages, and what it writes.

- pipeline.py: `build()`, the timed list of stages; `check()`, load and model only
- run.py: Project, Options, the frozen Run every stage gets, the Clock, the Report
- load.py: the scan, load and model stages
- keys.py: what a page and a whole build are made from, hashed
- rendering.py: the plan result, the render stage (worker processes), the write stage
- writer.py: putting files into the staged folder, each written at most once
- links.py: the links stage, and the check of a built folder; linkcheck.py, the
  checker; linkplaces.py, where each broken link is fixed
- lock.py: one build per output folder, and never one that holds the sources
- publish.py: generations, recovery after a kill, the swap

A new stage is a function `stage(run, ...) -> Result` (the result has a
`detail` for the stage line) in the module of its kind, and one line in
`pipeline._stages`.
"""
