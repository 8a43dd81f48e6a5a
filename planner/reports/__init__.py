"""Reports: a model built once from the services, then rendered as text, Markdown, HTML, PDF or email.

Build with `planner.reports.model.build_weekly` / `build_due`; render with the function of one
renderer module (`text.render_text`, `markdown.render_markdown`, `html.render_html`,
`pdf.render_pdf`, `eml.build_message`). Only `pdf` imports fpdf (about 0.35 s), lazily.
"""
