"""From records to findings: incident clusters counted once, statistics kept apart, counts tables.

`clusters` decides which incident events are one occurrence, `tables` turns clusters into
counts tables traceable to their articles, `cli` holds the `vnsec` commands built on them.
"""
