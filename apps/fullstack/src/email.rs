//! Mail over SMTP (lettre): the password-reset, new-account and test mails,
//! with the template's subjects. A failed send is logged, never raised.

use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{Settings, Smtp};

/// A rendered mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailData {
    /// The subject.
    pub subject: String,
    /// The HTML body.
    pub html: String,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(project: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{project}</title></head>\n\
         <body style=\"font-family: sans-serif; background: #f6f6f6; padding: 24px;\">\n\
         <div style=\"max-width: 560px; margin: auto; background: #fff; padding: 24px; border-radius: 8px;\">\n\
         <h1 style=\"font-size: 20px;\">{project}</h1>\n{body}\n</div></body></html>\n",
        project = escape(project)
    )
}

/// The password-reset mail. The link goes into the `href` as is (a JWT
/// needs no escaping), so `/reset-password?token=...` reads straight out of
/// the HTML.
pub fn reset_password_email(settings: &Settings, email: &str, token: &str) -> EmailData {
    let project = &settings.project_name;
    let link = format!("{}/reset-password?token={token}", settings.frontend_host);
    let hours = settings.email_reset_token_expire_hours;
    let body = format!(
        "<p>Hello {email},</p>\n\
         <p>Someone asked to reset the password of your account. Use the button below to choose a new one.</p>\n\
         <p><a href=\"{link}\" style=\"background: #009688; color: #fff; padding: 10px 18px; border-radius: 4px; text-decoration: none;\">Reset password</a></p>\n\
         <p>The link is valid for {hours} hours. If you did not ask for it, ignore this mail.</p>",
        email = escape(email),
    );
    EmailData {
        subject: format!("{project} - Password recovery for user {email}"),
        html: page(project, &body),
    }
}

/// The mail sent to a user a superuser created (with their password, as the
/// template sends it).
pub fn new_account_email(settings: &Settings, username: &str, password: &str) -> EmailData {
    let project = &settings.project_name;
    let body = format!(
        "<p>Welcome to {project}!</p>\n\
         <p>Your username: <b>{user}</b><br>Your password: <b>{password}</b></p>\n\
         <p><a href=\"{host}\">Go to the dashboard</a></p>",
        project = escape(project),
        user = escape(username),
        password = escape(password),
        host = settings.frontend_host,
    );
    EmailData {
        subject: format!("{project} - New account for user {username}"),
        html: page(project, &body),
    }
}

/// The test mail.
pub fn test_email(settings: &Settings, email: &str) -> EmailData {
    let project = &settings.project_name;
    let body = format!(
        "<p>Test email for: {}</p><p>If you can read this, mail works.</p>",
        escape(email)
    );
    EmailData {
        subject: format!("{project} - Test email"),
        html: page(project, &body),
    }
}

fn transport(
    smtp: &Smtp,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, lettre::transport::smtp::Error> {
    let builder = if smtp.ssl {
        AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)?
    } else if smtp.tls {
        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)?
    } else {
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
    };
    let builder = builder.port(smtp.port);
    let builder = match (&smtp.user, &smtp.password) {
        (Some(u), Some(p)) => builder.credentials(Credentials::new(u.clone(), p.clone())),
        _ => builder,
    };
    Ok(builder.build())
}

/// Sends `data` to `to`. Returns whether it was sent; failures (no SMTP
/// configured, a refused message) are logged.
pub async fn send_email(settings: &Settings, to: &str, data: &EmailData) -> bool {
    let Some(smtp) = &settings.smtp else {
        tracing::error!(to, subject = %data.subject, "email is not configured: mail not sent");
        return false;
    };
    let from = format!("{} <{}>", smtp.from_name, smtp.from_email);
    let message = (|| -> Result<Message, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Message::builder()
            .from(from.parse::<Mailbox>()?)
            .to(to.parse::<Mailbox>()?)
            .subject(&data.subject)
            .header(ContentType::TEXT_HTML)
            .body(data.html.clone())?)
    })();
    let result = match message {
        Ok(m) => match transport(smtp) {
            Ok(t) => t.send(m).await.map(drop).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        },
        Err(e) => Err(e.to_string()),
    };
    match result {
        Ok(()) => {
            tracing::info!(to, subject = %data.subject, "email sent");
            true
        }
        Err(e) => {
            tracing::error!(to, subject = %data.subject, error = %e, "send email failed");
            false
        }
    }
}
