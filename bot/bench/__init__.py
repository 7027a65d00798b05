"""`python -m bot.bench` (`make bench`): latency, throughput, memory, CPU time per message and lost
answers of the real stack against a bare Rasa baseline, under an advisory period and under saturation.
"""
