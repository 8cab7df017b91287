"""Identity (身份与权限): the city's administrative tree and departments, users and their roles, departments'
API clients, web sign-in and bearer tokens, and `access`, the one place where permissions are checked.
"""
