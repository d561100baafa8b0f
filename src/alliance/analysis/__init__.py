"""What is done with results: measures, tables, comparisons, tipping maps, sensitivity,
validation against episodes, charts, the HTML report and the generated parameter reference.
Talks to the model through data; runs ensembles only through ``alliance.study``.
"""
