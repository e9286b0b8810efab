"""Extraction: the pipeline stages that find the time expressions, places and
events of an article, one module per step.

- `dates`: time expressions resolved against the publication date (the `dates` stage);
- `places`: place names resolved to a country (the `places` stage);
- `events`: the event stage, which runs the steps below sentence by sentence;
  - `triggers`: the words that name an act, from the lexicons;
  - `slots`: the sentence's actor positions and clause structure;
  - `parse`, `roles`: the dependency parse and the agent and patient it gives;
  - `arguments`: who did it to whom from the clause;
  - `discourse`: what the sentence leaves to the text before it;
  - `modality`: plans, conditions, denials, promises, modes and contexts;
  - `dating`: an event's date;
  - `agents`: who inside each actor acted;
- `merge`: one event per occurrence in a document (the `merge` stage), and one
  meeting per sentence.

Nothing is imported here: a stage is built from its module when a pipeline is
(aliansi.pipeline.STAGES).
"""
