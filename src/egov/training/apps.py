from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "egov.training"
    label = "training"
    verbose_name = "Đào tạo kỹ năng CNTT"
