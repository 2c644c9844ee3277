-- PostgreSQL 16+: a role created by a CREATEROLE owner that is no superuser is granted back to its
-- creator with ADMIN OPTION only — no SET, no INHERIT (createrole_self_grant = '' by default). 0006
-- found the owner already a member and granted nothing, so every app connection (role=zt_app) was
-- refused "permission denied to set role". The login that connects must be able to SET ROLE zt_app.
-- Before 16 every membership allows SET ROLE; a superuser may anyway. EXECUTE: PostgreSQL 15 does
-- not parse WITH SET.
DO $$
BEGIN
  IF current_setting('server_version_num')::int >= 160000 THEN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
      IF NOT pg_has_role(session_user, 'zt_app', 'SET') THEN
        EXECUTE format('GRANT zt_app TO %I WITH SET TRUE', session_user);
      END IF;
    END IF;
  END IF;
END $$;
