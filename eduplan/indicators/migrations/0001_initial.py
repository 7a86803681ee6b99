

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('orgs', '0002_authorities_above_bureaus'),
        ('tracking', '0002_report_idempotency_key'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DataElement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=60, unique=True, verbose_name='代码')),
                ('name', models.CharField(max_length=100, verbose_name='名称')),
                ('value_type', models.CharField(choices=[('integer', '整数'), ('number', '数值')], default='integer', max_length=10, verbose_name='数值类型')),
                ('unit_label', models.CharField(blank=True, max_length=20, verbose_name='计量单位')),
                ('reported_by', models.CharField(choices=[('school', '学校填报'), ('authority', '教育局填报')], default='school', max_length=10, verbose_name='填报层级')),
                ('minimum', models.FloatField(default=0, verbose_name='最小值')),
                ('maximum', models.FloatField(blank=True, null=True, verbose_name='最大值')),
                ('description', models.TextField(blank=True, verbose_name='说明')),
                ('for_target', models.BooleanField(default=False, editable=False, verbose_name='目标实际值专用')),
                ('bureau', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.orgunit', verbose_name='教育局')),
            ],
            options={
                'verbose_name': '数据项',
                'verbose_name_plural': '数据项',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='DataSet',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=60, unique=True, verbose_name='代码')),
                ('name', models.CharField(max_length=100, verbose_name='名称')),
                ('period_kind', models.CharField(choices=[('year', '年'), ('semester', '学期'), ('quarter', '季度'), ('month', '月')], default='year', max_length=10, verbose_name='报送周期')),
                ('school_levels', models.JSONField(blank=True, default=list, help_text='OrgUnit.Level 代码列表；为空时所有学校填报', verbose_name='填报学段')),
                ('bureau', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.orgunit', verbose_name='教育局')),
                ('elements', models.ManyToManyField(related_name='data_sets', to='indicators.dataelement', verbose_name='数据项')),
            ],
            options={
                'verbose_name': '数据表',
                'verbose_name_plural': '数据表',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='Indicator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=60, unique=True, verbose_name='代码')),
                ('name', models.CharField(max_length=100, verbose_name='名称')),
                ('numerator', models.CharField(help_text='数据项代码，用 + 或 - 连接', max_length=300, verbose_name='分子')),
                ('denominator', models.CharField(blank=True, help_text='留空表示不做除法（总量指标）', max_length=300, verbose_name='分母')),
                ('factor', models.FloatField(default=1, help_text='百分比填 100，每百名学生填 100', verbose_name='倍数')),
                ('unit_label', models.CharField(blank=True, max_length=20, verbose_name='单位')),
                ('decimals', models.PositiveSmallIntegerField(default=1, verbose_name='小数位')),
                ('better', models.CharField(blank=True, choices=[('higher', '越高越好'), ('lower', '越低越好'), ('', '不判断方向')], default='', max_length=10, verbose_name='方向')),
                ('keywords', models.CharField(blank=True, help_text='计划目标中可能的说法，用顿号或逗号分隔，用于推荐绑定', max_length=300, verbose_name='匹配词')),
                ('definition', models.TextField(blank=True, verbose_name='口径说明')),
                ('bounded', models.BooleanField(default=False, help_text='合格率、占比之类：填报时检查每所学校的分子不大于分母（毛入园率等不勾选）', verbose_name='分子不超过分母')),
                ('bureau', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.orgunit', verbose_name='教育局')),
            ],
            options={
                'verbose_name': '指标',
                'verbose_name_plural': '指标',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='DataValue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period', models.CharField(max_length=8, verbose_name='期间')),
                ('value', models.FloatField(verbose_name='数值')),
                ('unit_path', models.CharField(editable=False, max_length=255)),
                ('source', models.CharField(default='form', max_length=10, verbose_name='来源')),
                ('entered_at', models.DateTimeField(auto_now=True)),
                ('element', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='values', to='indicators.dataelement')),
                ('entered_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='actual_values', to='tracking.progressreport')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='data_values', to='orgs.orgunit')),
            ],
            options={
                'verbose_name': '数据值',
                'verbose_name_plural': '数据值',
                'indexes': [models.Index(fields=['element', 'period', 'unit_path'], name='value_rollup')],
                'constraints': [models.UniqueConstraint(fields=('element', 'unit', 'period'), name='one_value_per_unit_period')],
            },
        ),
        migrations.CreateModel(
            name='Submission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period', models.CharField(max_length=8, verbose_name='期间')),
                ('state', models.CharField(choices=[('draft', '草稿'), ('submitted', '已提交'), ('returned', '已退回'), ('accepted', '已审核')], default='draft', max_length=10, verbose_name='状态')),
                ('draft', models.JSONField(blank=True, default=dict)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('submitted_at', models.DateTimeField(blank=True, null=True)),
                ('review_note', models.CharField(blank=True, max_length=500, verbose_name='审核意见')),
                ('data_set', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='submissions', to='indicators.dataset')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='submissions', to='orgs.orgunit')),
                ('updated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '数据报送',
                'verbose_name_plural': '数据报送',
                'constraints': [models.UniqueConstraint(fields=('data_set', 'unit', 'period'), name='one_submission_per_period')],
            },
        ),
    ]
