"""Extraction: the stages that find the time expressions (`dates`), places (`places`)
and events (`events`) of an article and merge its events (`merge`).
"""
