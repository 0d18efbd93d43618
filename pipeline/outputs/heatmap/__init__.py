"""heatmap"""
