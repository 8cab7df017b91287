"""Policy library and policy question answering (政策文件库、政策智能问答): documents imported from TXT, HTML,
DOCX and PDF with their title, issuer, document number (文号), dates, validity and structure (章节条款, 一、（一）
1.（1）), so that every passage has a citation; and answers to everyday questions with the passages that answer
them, found by word-segmented BM25 and a packaged multilingual embedding model together."""
