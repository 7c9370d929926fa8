"""places, invitations, startups, directory, clubs

Revision ID: 16b584ecdf8a
Revises: a93bc22606d9
Create Date: 2026-11-25 09:10:41.638078

"""
from alembic import op
import sqlalchemy as sa

import ecosystem.timeutil


# revision identifiers, used by Alembic.
revision = '16b584ecdf8a'
down_revision = 'a93bc22606d9'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        # Trigram indexes make the accent-free LIKE '%term%' searches fast.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table('localities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('province', sa.String(length=60), nullable=False),
    sa.Column('search_name', sa.String(length=100), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_localities')),
    sa.UniqueConstraint('province', 'name', name=op.f('uq_localities_province'))
    )
    with op.batch_alter_table('localities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_localities_search_name'), ['search_name'], unique=False)

    op.create_table('directory_components',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=90), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('address', sa.String(length=255), nullable=True),
    sa.Column('province', sa.String(length=60), nullable=False),
    sa.Column('locality_id', sa.Integer(), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('contact_phone', sa.String(length=20), nullable=True),
    sa.Column('logo', sa.String(length=80), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('suggested_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=True),
    sa.Column('review_note', sa.String(length=500), nullable=True),
    sa.Column('search_name', sa.String(length=160), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['locality_id'], ['localities.id'], name=op.f('fk_directory_components_locality_id_localities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_directory_components_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['suggested_by_id'], ['users.id'], name=op.f('fk_directory_components_suggested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_components')),
    sa.UniqueConstraint('slug', name=op.f('uq_directory_components_slug'))
    )
    with op.batch_alter_table('directory_components', schema=None) as batch_op:
        batch_op.create_index('ix_directory_components_listing', ['status', 'kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_directory_components_locality_id'), ['locality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_directory_components_search_name'), ['search_name'], unique=False)
        batch_op.create_index('ix_directory_components_search_text_trgm', ['search_text'], unique=False, postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=30), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_invitations_accepted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitations_token_hash'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index('ix_invitations_target', ['target_type', 'target_id'], unique=False)

    op.create_table('startups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=90), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('tagline', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('sector', sa.String(length=20), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('founded_year', sa.Integer(), nullable=True),
    sa.Column('province', sa.String(length=60), nullable=False),
    sa.Column('locality_id', sa.Integer(), nullable=True),
    sa.Column('locality_text', sa.String(length=120), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('contact_phone', sa.String(length=20), nullable=True),
    sa.Column('tax_code', sa.String(length=14), nullable=True),
    sa.Column('logo', sa.String(length=80), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('verified_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('search_name', sa.String(length=120), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_startups_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['locality_id'], ['localities.id'], name=op.f('fk_startups_locality_id_localities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_startups_verified_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_startups')),
    sa.UniqueConstraint('slug', name=op.f('uq_startups_slug'))
    )
    with op.batch_alter_table('startups', schema=None) as batch_op:
        batch_op.create_index('ix_startups_listing', ['is_public', 'sector', 'stage'], unique=False)
        batch_op.create_index(batch_op.f('ix_startups_locality_id'), ['locality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_startups_search_name'), ['search_name'], unique=False)
        batch_op.create_index('ix_startups_search_text_trgm', ['search_text'], unique=False, postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})

    op.create_table('clubs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=90), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('logo', sa.String(length=80), nullable=True),
    sa.Column('search_name', sa.String(length=160), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_clubs_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['university_id'], ['directory_components.id'], name=op.f('fk_clubs_university_id_directory_components'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clubs')),
    sa.UniqueConstraint('slug', name=op.f('uq_clubs_slug'))
    )
    with op.batch_alter_table('clubs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clubs_search_name'), ['search_name'], unique=False)
        batch_op.create_index('ix_clubs_search_text_trgm', ['search_text'], unique=False, postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
        batch_op.create_index(batch_op.f('ix_clubs_university_id'), ['university_id'], unique=False)

    op.create_table('component_startups',
    sa.Column('component_id', sa.Integer(), nullable=False),
    sa.Column('startup_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['component_id'], ['directory_components.id'], name=op.f('fk_component_startups_component_id_directory_components'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['startup_id'], ['startups.id'], name=op.f('fk_component_startups_startup_id_startups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('component_id', 'startup_id', name=op.f('pk_component_startups'))
    )
    with op.batch_alter_table('component_startups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_component_startups_startup_id'), ['startup_id'], unique=False)

    op.create_table('directory_component_services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('component_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['component_id'], ['directory_components.id'], name=op.f('fk_directory_component_services_component_id_directory_components'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_component_services')),
    sa.UniqueConstraint('component_id', 'slug', name=op.f('uq_directory_component_services_component_id'))
    )
    with op.batch_alter_table('directory_component_services', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_component_services_slug'), ['slug'], unique=False)

    op.create_table('startup_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('startup_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=80), nullable=True),
    sa.Column('joined_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['startup_id'], ['startups.id'], name=op.f('fk_startup_members_startup_id_startups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_startup_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_startup_members')),
    sa.UniqueConstraint('startup_id', 'user_id', name=op.f('uq_startup_members_startup_id'))
    )
    with op.batch_alter_table('startup_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_startup_members_startup_id'), ['startup_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_startup_members_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_startup_members_one_owner', ['startup_id'], unique=True, postgresql_where=sa.text("role = 'owner'"), sqlite_where=sa.text("role = 'owner'"))

    op.create_table('club_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('club_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('joined_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['club_id'], ['clubs.id'], name=op.f('fk_club_members_club_id_clubs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_club_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_club_members')),
    sa.UniqueConstraint('club_id', 'user_id', name=op.f('uq_club_members_club_id'))
    )
    with op.batch_alter_table('club_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_club_members_club_id'), ['club_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_club_members_user_id'), ['user_id'], unique=False)

    op.create_table('club_teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('club_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=90), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('idea', sa.Text(), nullable=False),
    sa.Column('mentor_wanted', sa.Boolean(), nullable=False),
    sa.Column('startup_id', sa.Integer(), nullable=True),
    sa.Column('created_at', ecosystem.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['club_id'], ['clubs.id'], name=op.f('fk_club_teams_club_id_clubs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['startup_id'], ['startups.id'], name=op.f('fk_club_teams_startup_id_startups'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_club_teams')),
    sa.UniqueConstraint('club_id', 'slug', name=op.f('uq_club_teams_club_id'))
    )
    with op.batch_alter_table('club_teams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_club_teams_club_id'), ['club_id'], unique=False)

    op.create_table('club_team_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('is_lead', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['club_teams.id'], name=op.f('fk_club_team_members_team_id_club_teams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_club_team_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_club_team_members')),
    sa.UniqueConstraint('team_id', 'user_id', name=op.f('uq_club_team_members_team_id'))
    )
    with op.batch_alter_table('club_team_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_club_team_members_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_club_team_members_user_id'), ['user_id'], unique=False)

    # The province's 92 communes and wards (reference data the department can then edit).
    from ecosystem.core.text import fold
    from ecosystem.places.services import read_reference_file

    localities = sa.table(
        "localities",
        sa.column("name", sa.String), sa.column("province", sa.String), sa.column("search_name", sa.String),
        sa.column("is_active", sa.Boolean), sa.column("created_at", ecosystem.timeutil.UTCDateTime()),
    )
    now = ecosystem.timeutil.utcnow()
    op.bulk_insert(localities, [
        {"name": name, "province": "Thái Nguyên", "search_name": fold(name), "is_active": True, "created_at": now}
        for name in read_reference_file()
    ])
    # ### end Alembic commands ###


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('club_team_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_club_team_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_club_team_members_team_id'))

    op.drop_table('club_team_members')
    with op.batch_alter_table('club_teams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_club_teams_club_id'))

    op.drop_table('club_teams')
    with op.batch_alter_table('club_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_club_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_club_members_club_id'))

    op.drop_table('club_members')
    with op.batch_alter_table('startup_members', schema=None) as batch_op:
        batch_op.drop_index('uq_startup_members_one_owner', postgresql_where=sa.text("role = 'owner'"), sqlite_where=sa.text("role = 'owner'"))
        batch_op.drop_index(batch_op.f('ix_startup_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_startup_members_startup_id'))

    op.drop_table('startup_members')
    with op.batch_alter_table('directory_component_services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_component_services_slug'))

    op.drop_table('directory_component_services')
    with op.batch_alter_table('component_startups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_component_startups_startup_id'))

    op.drop_table('component_startups')
    with op.batch_alter_table('clubs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clubs_university_id'))
        batch_op.drop_index('ix_clubs_search_text_trgm', postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
        batch_op.drop_index(batch_op.f('ix_clubs_search_name'))

    op.drop_table('clubs')
    with op.batch_alter_table('startups', schema=None) as batch_op:
        batch_op.drop_index('ix_startups_search_text_trgm', postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
        batch_op.drop_index(batch_op.f('ix_startups_search_name'))
        batch_op.drop_index(batch_op.f('ix_startups_locality_id'))
        batch_op.drop_index('ix_startups_listing')

    op.drop_table('startups')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index('ix_invitations_target')

    op.drop_table('invitations')
    with op.batch_alter_table('directory_components', schema=None) as batch_op:
        batch_op.drop_index('ix_directory_components_search_text_trgm', postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
        batch_op.drop_index(batch_op.f('ix_directory_components_search_name'))
        batch_op.drop_index(batch_op.f('ix_directory_components_locality_id'))
        batch_op.drop_index('ix_directory_components_listing')

    op.drop_table('directory_components')
    with op.batch_alter_table('localities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_localities_search_name'))

    op.drop_table('localities')
    # ### end Alembic commands ###
