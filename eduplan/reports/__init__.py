"""Files for people: the 任务分解表 (both ways), the 工作台账 and the 督查通报.

Each report is a folder of the same shape: the builder (plain functions over the tracking
data), its page (views.py, urls.py) and its tests under tests/reports/.
"""
