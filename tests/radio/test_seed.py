from sqlalchemy import select
from werkzeug.security import check_password_hash

from radio.db.models import Area, Node, User
from radio.seed import seed_sample_commune


def test_demo_seed_has_one_account_per_role_and_is_idempotent(sessions):
    with sessions() as s:
        first = seed_sample_commune(s, nodes=13, demo_users=True)
        again = seed_sample_commune(s, nodes=13, demo_users=True)
        users = {u.username: u for u in s.scalars(select(User))}
        assert {u: users[u].role for u in users} == {"admin": "admin", "bientap": "broadcaster",
                                                     "lanhdao": "leader", "giamsat": "monitor"}
        for name, password in first.demo_passwords.items():
            assert check_password_hash(users[name].password_hash, password)
        assert again.demo_passwords == {} and again.admin_password is None
        assert s.get(Area, users["lanhdao"].area_id).code == "38001"
        assert s.get(Area, users["giamsat"].area_id).code == "38"
        assert len(s.scalars(select(Node)).all()) == 13
        assert len(first.accounts) == 13 and len({a.password for a in first.accounts}) == 13
